"""Writers: files the tool produces (model files, workbooks, invoices)."""
