"""The core: what a plan says and what follows from it, as pure functions over data.

The model (plans, rules, units, periods, the one frequency table with all its words), the phrase
grammar, the date engine, the working-day calendar (given its days off as data), obligations and
their status, next year's plan, located errors, and today's date in Vietnam.
May import: nothing of dvcq outside `dvcq.core`. Reads no file, writes none, prints nothing.
"""
