"""English: the catalog of every user-facing sentence, keyed by message id (see __init__)."""
MESSAGES: dict[str, str] = {
}
