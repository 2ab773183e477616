"""Pre-registration lists: a spreadsheet (CSV or XLSX, one row per person) checked and saved as pending
households through the registration desk's own services.

``columns`` is the one table of the format (it drives parsing, docs/import-format.md and the XLSForm),
``parse`` reads files into rows, ``services`` validates and imports them, ``xlsform`` writes a
KoboToolbox/ODK form whose export the importer reads as it is.
"""
