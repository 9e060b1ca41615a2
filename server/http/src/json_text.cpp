#include "dangan/http/json_text.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/JSONString.h>

#include <cstdint>
#include <sstream>

namespace dangan::server {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

void writeValue(const Var& value, std::string& out);

// As Poco writes it (and as it escapes it).
void writeAsPoco(const Var& value, std::string& out) {
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(value, text);
    out += text.str();
}

void writeString(const std::string& text, std::string& out) {
    for (char c : text)
        if ((c >= 0 && c <= 31) || c == '"' || c == '\\') {
            out += Poco::toJSON(text, Poco::JSON_WRAP_STRINGS);
            return;
        }
    out += '"';
    out += text;
    out += '"';
}

void writeObject(const Object& object, std::string& out) {
    out += '{';
    bool first = true;
    for (const auto& name : object.getNames()) {  // in the object's own order, as Poco writes them
        if (!first) out += ',';
        first = false;
        writeString(name, out);
        out += ':';
        writeValue(object.get(name), out);
    }
    out += '}';
}

void writeArray(const Array& array, std::string& out) {
    out += '[';
    for (std::size_t i = 0; i < array.size(); ++i) {
        if (i > 0) out += ',';
        writeValue(array.get(static_cast<unsigned>(i)), out);
    }
    out += ']';
}

template <class Integer>
bool writeInteger(const Var& value, std::string& out) {
    if (value.type() != typeid(Integer)) return false;
    out += std::to_string(value.extract<Integer>());
    return true;
}

void writeValue(const Var& value, std::string& out) {
    if (value.isEmpty()) {
        out += "null";
        return;
    }
    const auto& type = value.type();
    if (type == typeid(std::string)) return writeString(value.extract<std::string>(), out);
    if (type == typeid(Object::Ptr) && !value.extract<Object::Ptr>().isNull()) return writeObject(*value.extract<Object::Ptr>(), out);
    if (type == typeid(Array::Ptr) && !value.extract<Array::Ptr>().isNull()) return writeArray(*value.extract<Array::Ptr>(), out);
    if (type == typeid(Object)) return writeObject(value.extract<Object>(), out);
    if (type == typeid(Array)) return writeArray(value.extract<Array>(), out);
    if (type == typeid(bool)) {
        out += value.extract<bool>() ? "true" : "false";
        return;
    }
    if (writeInteger<int>(value, out) || writeInteger<long>(value, out) || writeInteger<long long>(value, out) ||
        writeInteger<unsigned>(value, out) || writeInteger<unsigned long>(value, out) ||
        writeInteger<unsigned long long>(value, out))
        return;
    writeAsPoco(value, out);
}

}  // namespace

std::string jsonText(const Var& value) {
    std::string out;
    out.reserve(4096);
    writeValue(value, out);
    return out;
}

}  // namespace dangan::server
