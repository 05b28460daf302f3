"""The unspin benchmark: rewritten copies with exact ground truth, metrics, baselines, reports.

Modules, one concept each: ``corpus`` (read BBC and Reuters), ``sampling`` (what is indexed and what
is held out), ``spinner`` / ``tortured`` / ``obfuscate`` (the rewritings), ``builder`` and
``generator`` (cases with exact passages), ``plagdet`` and ``metrics`` (scores), ``ours`` and
``baselines`` (the systems), ``mrpc``, ``speed``, ``runner``, ``report``, ``plot``. Run it with
``python -m unspin.bench run``; see benchmarks/README.md.
"""
