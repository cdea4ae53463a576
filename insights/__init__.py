"""The agency's big picture: figures by year, country, course, institution; exports."""
