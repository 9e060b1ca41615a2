#pragma once
// A read asked for ahead: its statements are sent (Statement::send) and join the pipeline of the
// reads asked after it, so that independent reads of several stores cost one round trip to
// PostgreSQL. Calling it reads the answer. Asked inside a SharedRead, it must be called inside
// that SharedRead, on the thread that asked, before the store is asked the same again; asked
// outside one, it reads everything when called. Once called, it holds nothing.

#include <functional>

namespace dangan::storage {

template <class T>
using AnswerAhead = std::move_only_function<T()>;

}  // namespace dangan::storage
