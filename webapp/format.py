"""Formatting for the app: the same functions the exports use (``calculator.formatting``)."""

from calculator.formatting import MINUS, fte, money, number, percent, pounds

__all__ = ["MINUS", "fte", "money", "number", "percent", "pounds"]
