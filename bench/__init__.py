"""Benchmarks for negotrack (issue 7): a synthetic catalog generator and a runner that measures
load, start-up, navigation, reload, history and memory as ratios against baselines taken in
the same run. See BENCHMARKS.md.
"""
