"""Import of minutes published as plain text (Sefton, ModernGov and similar layouts)."""
