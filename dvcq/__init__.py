"""dvcq: deadlines and reporting windows of Vietnamese 'dân vận chính quyền' plans."""

__version__ = "0.1.0"
