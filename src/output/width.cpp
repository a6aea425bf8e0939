// Display width by wcwidth(3) under C.UTF-8, whatever the user's locale.
#include "invlog/output/width.hpp"

#include <locale.h>
#include <wchar.h>

#include <limits>

#include "invlog/domain/text.hpp"

namespace invlog::output {
namespace {

// wcwidth reads LC_CTYPE of the calling thread: a C.UTF-8 locale object is
// made once and installed around the calls, so that the user's LANG (or a
// program that never called setlocale, whose locale is "C" and knows no
// wide characters) changes nothing. Debian's glibc always has C.UTF-8; were
// it missing, every code point would count 1.
locale_t utf8_locale() {
    static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return locale;
}

bool plain_ascii(std::string_view text) {
    for (char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x7f) return false;
    }
    return true;
}

}  // namespace

std::size_t display_width(std::string_view text) {
    if (plain_ascii(text)) return text.size();
    const locale_t locale = utf8_locale();
    const locale_t previous = locale ? uselocale(locale) : static_cast<locale_t>(nullptr);
    std::size_t width = 0;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto cp = domain::decode_utf8(text, at);
        if (!cp) {
            ++width;
            ++at;
            continue;
        }
        const int w = locale ? wcwidth(static_cast<wchar_t>(cp->value)) : 1;
        width += w < 0 ? 1 : static_cast<std::size_t>(w);
        at += cp->length;
    }
    if (locale) uselocale(previous);
    return width;
}

std::string terminal_safe(std::string_view text) {
    if (plain_ascii(text)) return std::string(text);
    return domain::shown(text, std::numeric_limits<std::size_t>::max());
}

}  // namespace invlog::output
