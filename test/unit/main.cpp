//===- main.cpp - Catch2 entry point for deepseek unit tests ----*- C++ -*-===//
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
