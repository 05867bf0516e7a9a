from tests.bench.tally import FIGURES, table


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(table(FIGURES))
