"""The training recipe of digest's Chinese headline model: `python -m training.train` (see README.md)."""
