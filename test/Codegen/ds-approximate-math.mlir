// RUN: ds-opt %s --ds-approximate-math | FileCheck %s

// f32 exp, log, tanh and erf become polynomial arithmetic (no libm call,
// so the loops around them vectorize).
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: arith.mulf
func.func @approximated(%x: f32) -> (f32, f32, f32, f32) {
  %0 = math.exp %x : f32
  %1 = math.log %x : f32
  %2 = math.tanh %x : f32
  %3 = math.erf %x : f32
  return %0, %1, %2, %3 : f32, f32, f32, f32
}

// Negative: f64 and the ops left out (sin, atan) keep their libm calls.
// CHECK-LABEL: func.func @kept
// CHECK: math.exp %{{.+}} : f64
// CHECK: math.sin %{{.+}} : f32
// CHECK: math.atan %{{.+}} : f32
func.func @kept(%x: f64, %y: f32) -> (f64, f32, f32) {
  %0 = math.exp %x : f64
  %1 = math.sin %y : f32
  %2 = math.atan %y : f32
  return %0, %1, %2 : f64, f32, f32
}
