"""Every rule in plans/ quotes a sentence that is really in its source document."""
import re
from pathlib import Path

import pytest

from conftest import SEEDS


def norm(text: str) -> str:
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_every_quote_is_in_its_seed(catalog):
    import yaml


    for plan in catalog.plans:
        seed = yaml.safe_load(Path(plan.path).read_text(encoding="utf-8"))["seed"]
        text = norm((SEEDS / seed).read_text(encoding="utf-8"))
        for rule in plan.rules:
            assert rule.source.quote, f"{plan.id}/{rule.id} has no quote"
            for fragment in rule.source.quote.split(" ... "):
                assert norm(fragment) in text, f"{plan.id}/{rule.id}: {fragment!r} is not in {seed}"
