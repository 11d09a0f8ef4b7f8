"""parindex: open-source software for Vietnam's Administrative Reform Index (Chỉ số CCHC)."""

__version__ = "0.1.0"
