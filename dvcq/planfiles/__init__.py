"""Plan files: the format declared once, bounded reads, YAML with positions, the loader, the
catalog of plans and its cache, the linter (`check`: one registered function per code), the days-off
notices and the package's reading of them, and the user's profile.
May import: `dvcq.core`. Nothing above.
"""
