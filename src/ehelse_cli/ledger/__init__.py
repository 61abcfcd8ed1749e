"""The ledger (reskontro): what was invoiced and credited, in one SQLite file.

schema.py opens and migrates the file, store.py reads and records, plan.py works out what to issue
or correct from what is due and what was billed, fingerprint.py hashes the inputs of a run.
"""
