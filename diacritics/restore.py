"""PLACEHOLDER until issue 4 lands: identity restoration."""


def restore(text: str) -> str:
    return text


def needs_restoration(text: str) -> bool:
    return False
