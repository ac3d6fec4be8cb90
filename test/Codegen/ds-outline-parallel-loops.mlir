// RUN: ds-opt %s --split-input-file --ds-outline-parallel-loops | FileCheck %s

// A marked loop becomes a call of a private function over its bounds; the
// function takes the buffers and values the loop uses (the scale loaded
// before it, the view of the arena) and clones the constants in; it keeps
// the mark for ds-parallel-calls.
// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C96:.+]] = arith.constant 96 : index
// CHECK: %[[V:.+]] = memref.view
// CHECK: %[[S:.+]] = memref.load %arg1[]
// CHECK-NOT: scf.for
// CHECK: call @main_parallel(%[[C0]], %[[C96]], %arg0, %[[S]], %[[V]]) : (index, index, memref<96x64xf32>, f32, memref<96x64xf32>) -> ()
// CHECK-NEXT: return
// CHECK: func.func private @main_parallel(%[[LO:.+]]: index, %[[HI:.+]]: index, %[[X:.+]]: memref<96x64xf32>, %[[SC:.+]]: f32, %[[Y:.+]]: memref<96x64xf32>) attributes {ds.parallel = 1 : i64}
// CHECK: %[[C64:.+]] = arith.constant 64 : index
// CHECK: scf.for %[[I:.+]] = %[[LO]] to %[[HI]] step %{{.+}} {
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %[[C64]]
// CHECK: %[[A:.+]] = memref.load %[[X]][%[[I]], %[[J]]]
// CHECK: %[[M:.+]] = arith.mulf %[[A]], %[[SC]]
// CHECK: memref.store %[[M]], %[[Y]][%[[I]], %[[J]]]
// CHECK-NOT: ds.parallel
// CHECK: return
func.func @main(%x: memref<96x64xf32>, %s: memref<f32>, %arena: memref<24576xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c96 = arith.constant 96 : index
  %y = memref.view %arena[%c0][] : memref<24576xi8> to memref<96x64xf32>
  %scale = memref.load %s[] : memref<f32>
  scf.for %i = %c0 to %c96 step %c1 {
    scf.for %j = %c0 to %c64 step %c1 {
      %a = memref.load %x[%i, %j] : memref<96x64xf32>
      %m = arith.mulf %a, %scale : f32
      memref.store %m, %y[%i, %j] : memref<96x64xf32>
    }
  } {ds.parallel = 1 : i64}
  return
}

// -----

// Negative: unmarked loops stay; a marked loop inside a marked one stays
// (the pool runs one parallel call at a time), as does a marked loop with
// results; both lose their marks.
// CHECK-LABEL: func.func @main
// CHECK: scf.for
// CHECK-NOT: ds.parallel
// CHECK: call @main_parallel
// CHECK-NOT: ds.parallel
// CHECK: scf.for {{.+}} iter_args
// CHECK-NOT: ds.parallel
// CHECK: func.func private @main_parallel({{.+}}) attributes {ds.parallel = 1 : i64}
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: ds.parallel
// CHECK: return
func.func @main(%x: memref<96x64xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c96 = arith.constant 96 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c96 step %c1 {
    memref.store %zero, %x[%i, %c0] : memref<96x64xf32>
  }
  scf.for %i = %c0 to %c96 step %c1 {
    scf.for %j = %c0 to %c64 step %c1 {
      memref.store %zero, %x[%i, %j] : memref<96x64xf32>
    } {ds.parallel = 16 : i64}
  } {ds.parallel = 1 : i64}
  %sum = scf.for %i = %c0 to %c96 step %c1 iter_args(%acc = %zero) -> (f32) {
    %a = memref.load %x[%i, %c0] : memref<96x64xf32>
    %s = arith.addf %acc, %a : f32
    scf.yield %s : f32
  } {ds.parallel = 1 : i64}
  return %sum : f32
}
