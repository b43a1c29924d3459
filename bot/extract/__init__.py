"""Pure text -> statements: sentences, speaker, reporting verb, figures."""

from bot.extract.statements import ExtractedStatement, Extraction, extract, extract_statements

__all__ = ["ExtractedStatement", "Extraction", "extract", "extract_statements"]
