"""The yardstick of start-up: a bare typer app that prints hello (benchmarks/startup.py)."""

import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    print("hello")


if __name__ == "__main__":
    app()
