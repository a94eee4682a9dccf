"""Documents in: plan documents (.txt/.docx/.pdf) drafted into plan files (`draft`), register
exports read (`intake`) and matched to obligations, and the scorecard (`desk`).
May import: `dvcq.core`, `dvcq.planfiles`. Not the ledger, not output.
"""
