"""digest: daily and weekly briefings from Chinese government news posts."""

__version__ = "0.1.0"
