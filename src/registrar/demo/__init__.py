"""Deterministic demo data: an AP university and a K-12 school."""

from registrar.demo.loader import DemoSummary, ProgressFn, load_demo

__all__ = ["DemoSummary", "ProgressFn", "load_demo"]
