// DEZERO_INLINE: a function of a few lines that generated code nests as deep as the expression. g++ at -O2
// stops inlining such nests long before the end (a tree-shaped prototype ran 18x slower than hand-written
// code, docs/static-engine.md), so each of them, from the rules up to the static engine's sweep, asks to be
// inlined. The rules are shared with the runtime engine, where they are a call or two around xtensor.
#pragma once

#if defined(__GNUC__)
#define DEZERO_INLINE [[gnu::always_inline]] inline
// The same for a lambda (placed after its parameter list): the pack expansions of the higher-order sweeps.
#define DEZERO_LAMBDA_INLINE __attribute__((always_inline))
#else
#define DEZERO_INLINE inline
#define DEZERO_LAMBDA_INLINE
#endif
