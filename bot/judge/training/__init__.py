"""Training and evaluation of the judge: data sets, feature corpora, metrics, MLP fitting.

Nothing at run time imports this package; scripts/, bench/ and tests/ do.
"""
