"""Writes pydantic.json: JSON schemas as pydantic v2 emits them (model_json_schema), for TestSchemaInstances.

Run: python3 pydantic_schemas.py > pydantic.json
"""
import datetime
import decimal
import enum
import json
import uuid
from typing import Annotated, Dict, List, Literal, Optional, Tuple, Union

from pydantic import BaseModel, Field, conint, constr


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class Address(BaseModel):
    street: str
    zip: constr(pattern=r"^\d{5}(-\d{4})?$")
    country: str = "DE"


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: conint(ge=1, le=9)


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


class Person(BaseModel):
    name: Annotated[str, Field(min_length=2, max_length=30, description="Full name")]
    age: Annotated[int, Field(ge=0, lt=150)]
    height: Annotated[float, Field(gt=0, le=3.0)]
    price: Annotated[decimal.Decimal, Field(multiple_of=decimal.Decimal("0.01"), ge=0, le=1000)]
    id: uuid.UUID
    born: datetime.date
    seen: datetime.datetime
    favourite: Color
    tags: Annotated[List[str], Field(min_length=1, max_length=4)]
    unique: Annotated[set[int], Field(max_length=3)]
    home: Address
    work: Optional[Address] = None
    nick: Optional[str] = None
    pet: Annotated[Union[Cat, Dog], Field(discriminator="kind")]
    scores: Dict[str, int]
    point: Tuple[int, int]
    code: Annotated[str, Field(pattern=r"^[A-Z]{3}-\d{3}$")]


class Node(BaseModel):
    value: int
    children: List["Node"] = []


class Weather(BaseModel):
    """Arguments of a weather tool."""
    city: str
    unit: Literal["c", "f"] = "c"
    days: Annotated[int, Field(ge=1, le=7)] = 1


class Strict(BaseModel):
    model_config = {"extra": "forbid"}
    query: str
    limit: Optional[int]


out = {}
for model in (Address, Person, Node, Weather, Strict):
    out["pydantic " + model.__name__] = model.model_json_schema()
out["pydantic Person (serialization)"] = Person.model_json_schema(mode="serialization")
print(json.dumps(out, indent=1))
