#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "dangan/http/json_text.h"

using dangan::server::jsonText;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::string asPoco(const Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

}  // namespace

// Every reply is the text Poco's Stringifier writes, byte for byte: key order, escapes (control
// characters, quotes, backslashes, a slash, DEL, Chinese, a character beyond the BMP, bytes that
// are not UTF-8), numbers of every width, booleans, nulls, empty and nested objects and arrays.
TEST(JsonTextTest, WritesTheTextPocoWrites) {
    Object::Ptr ordered = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Object::Ptr sorted = new Object;
    const std::vector<std::string> texts = {"",        "户名 张伟",          "a/b",           "say \"hi\"",     "back\\slash",
                                            "tab\there", "line\nbreak\r\n", "\x01\x1f\x7f", "😀 emoji",       "\xff\xfe not UTF-8",
                                            "DGD-74074-I", "尚未装盒"};
    for (std::size_t i = 0; i < texts.size(); ++i) {
        ordered->set("z" + std::to_string(i), texts[i]);
        sorted->set(texts[i].empty() ? "empty" : texts[i], static_cast<int>(i));
    }
    ordered->set("a", true);
    ordered->set("b", false);
    ordered->set("null", Var());
    ordered->set("int", -42);
    ordered->set("int64", std::int64_t{-9007199254740993});
    ordered->set("uint64", std::uint64_t{18446744073709551615u});
    ordered->set("double", 0.1);
    ordered->set("sorted", sorted);
    Array::Ptr list = new Array;
    list->add(Object::Ptr(new Object));
    list->add(Array::Ptr(new Array));
    list->add(std::string("中文"));
    list->add(3.25);
    list->add(Var());
    list->add(sorted);
    ordered->set("list", list);
    Object byValue;
    byValue.set("k", "v");
    ordered->set("by_value", byValue);
    EXPECT_EQ(jsonText(ordered), asPoco(ordered));
    EXPECT_EQ(jsonText(list), asPoco(list));
    EXPECT_EQ(jsonText(Var(std::string("\"quoted\""))), asPoco(Var(std::string("\"quoted\""))));
    EXPECT_EQ(jsonText(Var()), "null");

    // And it reads back as what was written.
    Object::Ptr valid = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    valid->set("name", "户名 张伟");
    valid->set("lines", "line\nbreak\r\n \"q\" \\ /");
    valid->set("id", std::int64_t{-123456789012});
    Poco::JSON::Parser parser;
    auto back = parser.parse(jsonText(valid)).extract<Object::Ptr>();
    EXPECT_EQ(back->getValue<std::string>("name"), "户名 张伟");
    EXPECT_EQ(back->getValue<std::string>("lines"), "line\nbreak\r\n \"q\" \\ /");
    EXPECT_EQ(back->getValue<std::int64_t>("id"), -123456789012);
}
