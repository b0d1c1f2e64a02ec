"""The throwaway page's script."""

from core.scripts import header


def script(settings) -> str:
    return "\n".join([*header("echo", settings, {}), "print(torch.tensor([1.0, 2.0, 3.0]) * 2)", ""])
