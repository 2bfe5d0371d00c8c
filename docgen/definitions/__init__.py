"""Reading and checking the program definition files into a ``Catalog``."""
