"""DSAR Desk's Qt front end. Thin widgets over app.cases / app.queries; no SQL here."""
