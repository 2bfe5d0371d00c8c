"""Documents and objects written from results: reports, bundle, forms, 汇总表, JSON, skeleton."""
