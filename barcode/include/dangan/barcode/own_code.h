#pragma once
// The archive's own barcodes, told apart from the foreign codes that licences, meters and invoices
// carry by a prefix and a check character:
//
//   DG <kind> - <field> - <field> ... - <check>        e.g. DGC-12-3300000001-101-K
//
// Fields hold digits and capital letters only, so every code fits QR's alphanumeric mode and
// Code 128. The check character is ISO/IEC 7064 MOD 37-2 over every character but the "-"
// separators (alphabet 0-9, A-Z, *). A text that is not a well-formed own code is foreign.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dangan::barcode {

enum class OwnCodeKind : char {
    CoverSheet = 'C',  // fields: sheet id, account number, process code
    Separator = 'S',   // fields: document type code
    Document = 'D',    // fields: document (item) id
    Volume = 'V',      // fields: customer account number
    Box = 'B',         // fields: box id
    Location = 'L',    // fields: location id
};

struct OwnCode {
    OwnCodeKind kind{};
    std::vector<std::string> fields;
    bool operator==(const OwnCode&) const = default;
};

// The code's text. Fails (empty) when a field is empty or holds anything but 0-9 and A-Z.
[[nodiscard]] std::optional<std::string> encodeOwnCode(const OwnCode& code);

// The text of a code with one field; empty when the field cannot be encoded (callers pass ids and
// account numbers that always can).
[[nodiscard]] std::string ownCodeText(OwnCodeKind kind, const std::string& field);

// The code in `text`, or nullopt when it is foreign (wrong prefix, kind, shape or check).
[[nodiscard]] std::optional<OwnCode> parseOwnCode(std::string_view text);

// A code as a person typed it or a keyboard-wedge scanner sent it: trimmed of blanks, and an own
// code sent in lower or mixed case (a scanner in the wrong keyboard mode, caps lock) in its
// printed upper case. Anything that is no own code in any case comes back trimmed, unchanged.
[[nodiscard]] std::string typedCode(std::string_view text);

// ISO/IEC 7064 MOD 37-2 check character of `text` (characters 0-9 and A-Z); nullopt for others.
[[nodiscard]] std::optional<char> mod37_2(std::string_view text);

}  // namespace dangan::barcode
