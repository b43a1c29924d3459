"""Pure text -> statements: sentences, speaker, reporting verb, figures."""

from bot.extract.statements import ExtractedStatement, extract_statements

__all__ = ["ExtractedStatement", "extract_statements"]
