import unittest

from shop.cart import Cart


class CartTests(unittest.TestCase):
    def test_an_empty_cart_totals_zero(self):
        self.assertEqual(Cart().total(), 0)

    def test_total_is_price_times_quantity_summed(self):
        cart = Cart()
        cart.add("apple", price=0.5, quantity=4)
        cart.add("bread", price=2.25)
        self.assertEqual(cart.total(), 4.25)

    def test_adding_an_item_again_adds_to_its_quantity(self):
        cart = Cart()
        cart.add("apple", price=0.5)
        cart.add("apple", price=0.5, quantity=2)
        self.assertEqual(cart.quantity_of("apple"), 3)
        self.assertEqual(len(cart.lines()), 1)

    def test_an_item_at_another_price_is_refused(self):
        cart = Cart()
        cart.add("apple", price=0.5)
        with self.assertRaises(ValueError):
            cart.add("apple", price=0.6)

    def test_invalid_items_are_refused(self):
        cart = Cart()
        for name, price, quantity in [("", 1, 1), ("pear", -1, 1), ("pear", 1, 0)]:
            with self.assertRaises(ValueError):
                cart.add(name, price=price, quantity=quantity)


if __name__ == "__main__":
    unittest.main()
