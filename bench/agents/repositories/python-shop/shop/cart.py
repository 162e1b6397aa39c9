"""The shopping cart: items with a unit price and a quantity."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One item of the cart."""

    name: str
    price: float
    quantity: int

    @property
    def subtotal(self) -> float:
        return self.price * self.quantity


class Cart:
    """Items by name; adding an item that is already there adds to its quantity."""

    def __init__(self) -> None:
        self._lines: dict[str, Line] = {}

    def add(self, name: str, price: float, quantity: int = 1) -> None:
        if not name:
            raise ValueError("name must not be empty")
        if price < 0:
            raise ValueError("price must not be negative")
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        existing = self._lines.get(name)
        if existing is not None:
            if existing.price != price:
                raise ValueError(f"{name} is already in the cart at another price")
            quantity += existing.quantity
        self._lines[name] = Line(name, price, quantity)

    def lines(self) -> list[Line]:
        """The items in the order they were first added."""
        return list(self._lines.values())

    def quantity_of(self, name: str) -> int:
        line = self._lines.get(name)
        return 0 if line is None else line.quantity

    def total(self) -> float:
        return round(sum(line.subtotal for line in self._lines.values()), 2)
