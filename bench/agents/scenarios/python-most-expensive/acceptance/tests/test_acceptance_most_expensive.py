import unittest

from shop.cart import Cart


class MostExpensiveAcceptance(unittest.TestCase):
    def test_an_empty_cart_has_none(self):
        self.assertIsNone(Cart().most_expensive())

    def test_the_highest_subtotal_wins_not_the_highest_price(self):
        cart = Cart()
        cart.add("wine", price=9.0)
        cart.add("apple", price=0.5, quantity=30)
        self.assertEqual(cart.most_expensive(), "apple")

    def test_a_tie_goes_to_the_item_added_first(self):
        cart = Cart()
        cart.add("milk", price=1.0, quantity=3)
        cart.add("bread", price=3.0)
        cart.add("eggs", price=1.5, quantity=2)
        self.assertEqual(cart.most_expensive(), "milk")

    def test_adding_more_of_an_item_counts(self):
        cart = Cart()
        cart.add("bread", price=3.0)
        cart.add("milk", price=1.0, quantity=2)
        cart.add("milk", price=1.0, quantity=2)
        self.assertEqual(cart.most_expensive(), "milk")


if __name__ == "__main__":
    unittest.main()
