import unittest

from shop.cart import Cart


def cart_with_apples(quantity=5):
    cart = Cart()
    cart.add("apple", price=0.5, quantity=quantity)
    cart.add("bread", price=2.0)
    return cart


class RemoveAcceptance(unittest.TestCase):
    def test_remove_without_a_quantity_removes_the_item(self):
        cart = cart_with_apples()
        cart.remove("apple")
        self.assertEqual(cart.quantity_of("apple"), 0)
        self.assertEqual([line.name for line in cart.lines()], ["bread"])
        self.assertEqual(cart.total(), 2.0)

    def test_remove_with_a_quantity_removes_that_many(self):
        cart = cart_with_apples()
        cart.remove("apple", quantity=2)
        self.assertEqual(cart.quantity_of("apple"), 3)
        self.assertEqual(cart.total(), 3.5)

    def test_removing_all_of_an_item_makes_it_disappear(self):
        cart = cart_with_apples(quantity=2)
        cart.remove("apple", quantity=2)
        self.assertEqual([line.name for line in cart.lines()], ["bread"])

    def test_removing_a_missing_item_raises_key_error(self):
        with self.assertRaises(KeyError):
            cart_with_apples().remove("pear")

    def test_an_invalid_quantity_raises_value_error_and_changes_nothing(self):
        cart = cart_with_apples()
        for quantity in (0, -1, 6):
            with self.assertRaises(ValueError):
                cart.remove("apple", quantity=quantity)
        self.assertEqual(cart.quantity_of("apple"), 5)


if __name__ == "__main__":
    unittest.main()
