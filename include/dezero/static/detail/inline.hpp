// The engine's functions are a handful of lines each, nested as deep as the expression. g++ at -O2 stops
// inlining such nests long before the end (a tree-shaped prototype ran 18x slower than hand-written code
// for that reason, docs/static-engine.md), so each one asks to be inlined, and the entry points flatten.
// Under clang the entry points are inlined into their caller as well, as hand-written code would be (clang
// keeps the flattening of an inlined function's calls; g++ drops it, so there they stay calls): clang 14
// otherwise keeps goldstein's value_and_grad a call and cannot vectorise a loop over points around it.
#pragma once

#if defined(__clang__)
#define DEZERO_STATIC_INLINE [[gnu::always_inline]] inline
#define DEZERO_STATIC_FLATTEN [[gnu::flatten]]
#define DEZERO_STATIC_ENTRY [[gnu::always_inline, gnu::flatten]] inline
#elif defined(__GNUC__)
#define DEZERO_STATIC_INLINE [[gnu::always_inline]] inline
#define DEZERO_STATIC_FLATTEN [[gnu::flatten]]
#define DEZERO_STATIC_ENTRY [[gnu::flatten]] inline
#else
#define DEZERO_STATIC_INLINE inline
#define DEZERO_STATIC_FLATTEN
#define DEZERO_STATIC_ENTRY inline
#endif
