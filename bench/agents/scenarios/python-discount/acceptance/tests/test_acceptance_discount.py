import unittest

from shop.cart import Cart


def ten_euro_cart():
    cart = Cart()
    cart.add("apple", price=0.5, quantity=4)
    cart.add("cheese", price=8.0)
    return cart


class DiscountAcceptance(unittest.TestCase):
    def test_a_discount_takes_its_percentage_off_the_total(self):
        cart = ten_euro_cart()
        cart.discount(25)
        self.assertEqual(cart.total(), 7.5)

    def test_zero_and_one_hundred_percent_are_allowed(self):
        cart = ten_euro_cart()
        cart.discount(0)
        self.assertEqual(cart.total(), 10.0)
        cart.discount(100)
        self.assertEqual(cart.total(), 0)

    def test_a_later_discount_replaces_the_earlier_one(self):
        cart = ten_euro_cart()
        cart.discount(50)
        cart.discount(10)
        self.assertEqual(cart.total(), 9.0)

    def test_the_total_is_rounded_to_two_decimals(self):
        cart = Cart()
        cart.add("pen", price=1.0, quantity=3)
        cart.discount(33)
        self.assertEqual(cart.total(), 2.01)

    def test_a_percent_outside_zero_to_one_hundred_is_refused(self):
        cart = ten_euro_cart()
        for percent in (-1, 100.5, 250):
            with self.assertRaises(ValueError):
                cart.discount(percent)
        self.assertEqual(cart.total(), 10.0)

    def test_without_a_discount_the_total_is_unchanged(self):
        self.assertEqual(ten_euro_cart().total(), 10.0)


if __name__ == "__main__":
    unittest.main()
