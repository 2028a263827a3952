"""Pure data for the workbench: documents, layout, cursor units, marks and colours; no Textual here."""
