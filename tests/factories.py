"""factory_boy factories for domain records. Use them inside tenant_context(tenant)."""

import factory

from customers.models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    Purchaser,
    RegisterItem,
)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Business unit {n}")
    division = "Operations"
    status = Customer.Status.ACTIVE


class PurchaserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchaser

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@business.example")


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessExpectation

    customer = factory.SubFactory(CustomerFactory)
    title = factory.Sequence(lambda n: f"Expectation {n}")
    status = BusinessExpectation.Status.PROPOSED


class RegisterItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisterItem

    customer = factory.SubFactory(CustomerFactory)
    kind = RegisterItem.Kind.RISK
    title = factory.Sequence(lambda n: f"Risk {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    customer = factory.SubFactory(CustomerFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
