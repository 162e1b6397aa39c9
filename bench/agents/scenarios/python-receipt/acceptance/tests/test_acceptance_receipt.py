import unittest

from shop.cart import Cart


class ReceiptAcceptance(unittest.TestCase):
    def test_an_empty_cart_has_only_the_total(self):
        self.assertEqual(Cart().receipt(), "TOTAL 0.00")

    def test_one_line_per_item_in_order_then_the_total(self):
        cart = Cart()
        cart.add("apple", price=0.5, quantity=4)
        cart.add("bread", price=2.25)
        cart.add("apple", price=0.5)
        self.assertEqual(cart.receipt(), "apple x5 2.50\nbread x1 2.25\nTOTAL 4.75")

    def test_no_newline_at_the_end(self):
        cart = Cart()
        cart.add("tea", price=3.0)
        self.assertFalse(cart.receipt().endswith("\n"))


if __name__ == "__main__":
    unittest.main()
