"""Every public callable refuses every class of bad input with a ``qb.InputError`` that names the
argument, what was expected and what was given.

The test is table-driven: ``TABLE`` lists, per public callable, one valid call and the kind of each
argument (``real``, ``int``, ``bool``, ``matrix``, ``state``, ``times``, ...). Each kind has a list
of bad values (``BAD``), one per class (NaN, wrong shape, complex where real is meant, string,
bool, float where an integer is meant, empty, ...). The test perturbs one argument of the valid
call at a time. ``test_every_public_callable_is_covered`` walks ``qbath`` and its subpackages so a
new public function without a row is reported.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import qbath as qb

NAN = float("nan")


class _NotAModel:
    """Something that is not a model, a generator or a bath."""

    def __repr__(self) -> str:
        return "<not a model>"


# --- bad values, one per class, for each kind of argument --------------------------------------
_SCALAR_BAD = {
    "nan": NAN,
    "complex": 1.0 + 1.0j,
    "string": "1.0",
    "bool": True,
    "wrong_shape": [1.0, 2.0],
    "none_like_list": [],
    "huge_int": 10**400,
}
_MATRIX_BAD = {
    "nan": np.array([[NAN, 0], [0, 1]]),
    "wrong_shape": np.ones((2, 3)),
    "string": [["a", "b"], ["c", "d"]],
    "empty": np.zeros((0, 0)),
    "bool": np.eye(2, dtype=bool),
    "ragged": [[1, 0], [0]],
    "scalar": 1.0,
}
BAD: dict[str, dict[str, Any]] = {
    "real": _SCALAR_BAD,
    "int": {
        "float": 2.7,
        "bool": True,
        "string": "2",
        "complex": 2 + 0j,
        "nan": NAN,
        "integral_float": 2.0,
    },
    "bool": {"string": "no", "int": 1, "float": 0.0, "none": None},
    "bool_or_none": {"string": "no", "int": 1, "float": 0.0},
    "matrix": _MATRIX_BAD,
    "herm": {**_MATRIX_BAD, "non_hermitian": np.array([[0, 1], [0, 0]])},
    "state": {
        **_MATRIX_BAD,
        "trace_2": np.eye(2),
        "negative": np.diag([1.5, -0.5]),
        "non_hermitian": np.array([[0.5, 1], [0, 0.5]]),
    },
    "ket": {
        "nan": np.array([NAN, 0]),
        "string": ["a", "b"],
        "empty": np.zeros(0),
        "unnormalised": np.array([1.0, 1.0]),
        "bool": np.array([True, False]),
        "wrong_shape": np.ones((2, 3)),
    },
    "times": {
        "complex": [0, 1j, 2],
        "string": ["0", "1"],
        "nan": [NAN, 1.0],
        "wrong_shape": [[0.0, 1.0], [2.0, 3.0]],
        "empty": [],
        "bool": [False, True],
        "decreasing": [1.0, 0.0],
        "text": "0 1 2",
    },
    "real_or_array": {
        "nan": NAN,
        "complex": 1.0 + 1.0j,
        "string": "1.0",
        "bool": True,
        "huge_int": 10**400,
    },
    "array2d": {
        "nan": np.array([[NAN, 0], [0, 1]]),
        "string": [["a"]],
        "empty": np.zeros((0, 0)),
        "bool": np.eye(2, dtype=bool),
        "vector": [1.0, 2.0],
    },
    "real_matrix": {
        "complex": np.eye(2) * 1j,
        "string": [["1", "0"], ["0", "1"]],
        "nan": np.array([[1.0, NAN], [NAN, 1.0]]),
        "bool": np.eye(2, dtype=bool),
        "wrong_shape": np.eye(3),
        "choice": "nonsense",
    },
    "spin_fields": {
        "complex": [[0.0, 0.0, 1j]],
        "string": [["0", "0", "1"]],
        "nan": [[0.0, 0.0, NAN]],
        "bool": [[True, False, True]],
        "wrong_shape": [[0.0, 1.0]],
        "empty": np.zeros((0, 3)),
    },
    "grid": {
        "complex": [1j, 1.0],
        "string_list": ["a", "b"],
        "nan": [NAN, 1.0],
        "bool": [True, False],
        "empty": [],
        "repeated": [1.0, 1.0],
        "inf": float("inf"),
    },
    "ket_or_matrix": {
        "nan": np.array([NAN, 0]),
        "string": ["a", "b"],
        "empty": np.zeros(0),
        "bool": np.eye(2, dtype=bool),
    },
    "reals": {
        "complex": [1j, 1.0],
        "string": ["a", "b"],
        "nan": [NAN, 1.0],
        "bool": [True, False],
        "text": "12",
    },
    "dims": {"float": [2.5, 2], "bool": [True, 2], "string": "22", "empty": [], "zero": [0, 2]},
    "indices": {
        "float": [1.9],
        "bool": [True],
        "string": "0",
        "scalar_float": 1.0,
        "out_of_range": [7],
    },
    "choice": {"unknown": "nonsense", "int": 1, "none": None},
    "complex": {"nan": complex(NAN, 0), "string": "0.3", "bool": True, "wrong_shape": [0.3, 0.2]},
    "model": {"object": _NotAModel(), "string": "model", "number": 3},
    "bath": {"object": _NotAModel(), "string": "ohmic"},
    "callable": {"string": "w*exp(-w)", "number": 1.0},
}

# --- valid inputs ------------------------------------------------------------------------------
SZ, SX, SM = qb.sigmaz(), qb.sigmax(), qb.sigmam()
RHO = qb.thermal_state(SZ, 0.7)
KET = qb.basis(2, 0)
BELL = qb.ket2dm(np.array([1, 0, 0, 1]) / np.sqrt(2))


def _bath() -> Any:
    return qb.OhmicBath(0.02, 5.0, temperature=0.5)


def _gksl() -> Any:
    return qb.davies(SZ, [(SX, _bath())])


def _floquet() -> Any:
    H = [SZ, [0.2 * SX, np.cos]]
    return qb.floquet_davies(H, 2 * np.pi, [(SX, _bath())], n_harmonics=4)


def _cmodel() -> Any:
    return qb.collision.structured_example2(1.0, 0.5, 1.5, 1.0, 0.3, beta=1.0, dt=0.1)


def _spins() -> Any:
    return qb.spins.SpinModel(fields=[[0.0, 0.0, 1.0], [0.3, 0.0, 1.0]], gamma_minus=0.1)


# Each row: (label, callable, valid kwargs (a function returning them), {argument: kind}).
Row = tuple[str, Callable[..., Any], Callable[[], dict[str, Any]], dict[str, str]]
TABLE: list[Row] = [
    # operators
    ("qeye", qb.qeye, lambda: {"d": 2}, {"d": "int"}),
    ("destroy", qb.destroy, lambda: {"n": 3}, {"n": "int"}),
    ("create", qb.create, lambda: {"n": 3}, {"n": "int"}),
    ("num", qb.num, lambda: {"n": 3}, {"n": "int"}),
    ("basis", qb.basis, lambda: {"d": 2, "i": 1}, {"d": "int", "i": "int"}),
    ("dag", qb.dag, lambda: {"a": SM}, {"a": "array2d"}),
    (
        "commutator",
        qb.commutator,
        lambda: {"a": SX, "b": SZ, "kind": "anti"},
        {"a": "matrix", "b": "matrix", "kind": "choice"},
    ),
    (
        "embed",
        qb.embed,
        lambda: {"op": SX, "targets": [1], "dims": [2, 2]},
        {"op": "matrix", "targets": "indices", "dims": "dims"},
    ),
    (
        "ptrace",
        qb.ptrace,
        lambda: {"rho": BELL, "keep": [0], "dims": [2, 2]},
        {"rho": "matrix", "keep": "indices", "dims": "dims"},
    ),
    ("Subsystem", qb.Subsystem, lambda: {"name": "a", "dim": 2}, {"dim": "int"}),
    # states and measures
    (
        "thermal_state",
        qb.thermal_state,
        lambda: {"H": SZ, "beta": 0.5},
        {"H": "herm", "beta": "real"},
    ),
    (
        "thermal_state(temperature)",
        qb.thermal_state,
        lambda: {"H": SZ, "temperature": 0.5},
        {"temperature": "real"},
    ),
    ("ket2dm", qb.ket2dm, lambda: {"psi": KET}, {"psi": "ket"}),
    ("bloch_state", qb.bloch_state, lambda: {"s": [0.1, 0.2, 0.3]}, {"s": "reals"}),
    ("bloch_vector", qb.bloch_vector, lambda: {"rho": RHO}, {"rho": "matrix"}),
    ("expect", qb.expect, lambda: {"op": SZ, "rho": RHO}, {"op": "matrix", "rho": "matrix"}),
    (
        "l1_coherence",
        qb.l1_coherence,
        lambda: {"rho": RHO, "check": True},
        {"rho": "state", "check": "bool"},
    ),
    (
        "von_neumann_entropy",
        qb.von_neumann_entropy,
        lambda: {"rho": RHO, "base": 2.0},
        {"rho": "state", "base": "real"},
    ),
    (
        "relative_entropy",
        qb.relative_entropy,
        lambda: {"rho": RHO, "sigma": np.eye(2) / 2},
        {"rho": "state", "sigma": "state"},
    ),
    (
        "mutual_information",
        qb.mutual_information,
        lambda: {"rho_ab": BELL, "dims": [2, 2], "base": 2.0},
        {"rho_ab": "state", "dims": "dims", "base": "real"},
    ),
    ("purity", qb.purity, lambda: {"rho": RHO}, {"rho": "state"}),
    # baths and Davies generators
    (
        "OhmicBath",
        qb.OhmicBath,
        lambda: {"alpha": 0.1, "cutoff": 5.0, "temperature": 0.5},
        {"alpha": "real", "cutoff": "real", "temperature": "real"},
    ),
    (
        "OhmicBath(beta)",
        qb.OhmicBath,
        lambda: {"alpha": 0.1, "cutoff": 5.0, "beta": 2.0},
        {"beta": "real"},
    ),
    (
        "PowerLawBath",
        qb.PowerLawBath,
        lambda: {"alpha": 0.1, "cutoff": 5.0, "exponent": 2.0, "temperature": 0.5},
        {"alpha": "real", "cutoff": "real", "exponent": "real", "temperature": "real"},
    ),
    (
        "DrudeLorentzBath",
        qb.DrudeLorentzBath,
        lambda: {"reorganization": 0.1, "cutoff": 5.0, "temperature": 0.5},
        {"reorganization": "real", "cutoff": "real", "temperature": "real"},
    ),
    (
        "CustomBath",
        qb.CustomBath,
        lambda: {
            "spectral_density_function": lambda w: w * np.exp(-w),
            "temperature": 0.5,
            "scale": 1.0,
            "vectorized": False,
        },
        {
            "spectral_density_function": "callable",
            "temperature": "real",
            "scale": "real",
            "vectorized": "bool",
        },
    ),
    (
        "Bath.rate",
        lambda omega: _bath().rate(omega),
        lambda: {"omega": [0.5, 1.0]},
        {"omega": "reals"},
    ),
    (
        "Bath.lamb_shift",
        lambda omega: _bath().lamb_shift(omega),
        lambda: {"omega": [0.5]},
        {"omega": "reals"},
    ),
    (
        "davies",
        qb.davies,
        lambda: {"H": SZ, "couplings": [(SX, _bath())], "lamb_shift": False, "freq_tol": 1e-9},
        {"H": "herm", "lamb_shift": "bool", "freq_tol": "real"},
    ),
    (
        "master.redfield",
        qb.master.redfield,
        lambda: {"H": SZ, "couplings": [(SX, _bath())], "lamb_shift": False},
        {"H": "herm", "lamb_shift": "bool"},
    ),
    (
        "master.partial_secular",
        qb.master.partial_secular,
        lambda: {"H": SZ, "couplings": [(SX, _bath())], "cutoff": 0.1, "lamb_shift": False},
        {"H": "herm", "cutoff": "real", "lamb_shift": "bool"},
    ),
    (
        "master.local_davies",
        qb.master.local_davies,
        lambda: {"H": SZ, "couplings": [(SX, _bath(), SZ)], "lamb_shift": False},
        {"H": "herm", "lamb_shift": "bool"},
    ),
    (
        "davies(couplings)",
        lambda A, bath: qb.davies(SZ, [(A, bath)]),
        lambda: {"A": SX, "bath": _bath()},
        {"A": "herm", "bath": "bath"},
    ),
    (
        "davies(cross_correlations)",
        lambda cross_correlations: qb.davies(
            SZ, [(SX, _bath()), (SZ, _bath())], cross_correlations=cross_correlations
        ),
        lambda: {"cross_correlations": np.eye(2)},
        {"cross_correlations": "real_matrix"},
    ),
    # solvers
    (
        "mesolve",
        qb.mesolve,
        lambda: {
            "H": _gksl(),
            "rho0": RHO,
            "tlist": [0.0, 0.5, 1.0],
            "store_states": True,
        },
        {
            "H": "model",
            "rho0": "state",
            "tlist": "times",
            "store_states": "bool",
        },
    ),
    (
        "mcsolve",
        qb.mcsolve,
        lambda: {
            "H": _gksl(),
            "psi0": KET,
            "tlist": [0.0, 0.5],
            "ntraj": 4,
            "seed": 1,
            "store_states": False,
        },
        {
            "H": "model",
            "psi0": "ket",
            "tlist": "times",
            "ntraj": "int",
            "seed": "int",
            "store_states": "bool",
        },
    ),
    (
        "solve.mesolve_batch",
        qb.solve.mesolve_batch,
        lambda: {"H": np.stack([SZ, SX]), "rho0": RHO, "tlist": [0.0, 0.5], "c_ops": [SM]},
        {"rho0": "state", "tlist": "times"},
    ),
    (
        "solve.steady_state_batch",
        qb.solve.steady_state_batch,
        lambda: {"H": np.stack([SZ, SX]), "c_ops": [SM], "tol": 1e-9},
        {"tol": "real"},
    ),
    (
        "solve.propagator_batch",
        qb.solve.propagator_batch,
        lambda: {"H": np.stack([SZ, SX]), "t": 0.5, "c_ops": [SM]},
        {"t": "real"},
    ),
    (
        "collision.evolve_batch",
        qb.collision.evolve_batch,
        lambda: {"model": _cmodel(), "rho0": RHO, "n_collisions": 3, "beta": np.array([1.0, 2.0])},
        {"model": "model", "rho0": "state", "n_collisions": "int"},
    ),
    (
        "collision.steady_state_batch",
        qb.collision.steady_state_batch,
        lambda: {"model": _cmodel(), "beta": np.array([1.0, 2.0])},
        {"model": "model"},
    ),
    (
        "Dopri5",
        qb.Dopri5,
        lambda: {"rtol": 1e-6, "atol": 1e-8, "max_steps": 1000},
        {"rtol": "real", "atol": "real", "max_steps": "int"},
    ),
    (
        "DOP853",
        qb.DOP853,
        lambda: {"rtol": 1e-6, "atol": 1e-8, "max_steps": 1000},
        {"rtol": "real", "atol": "real", "max_steps": "int"},
    ),
    (
        "BDF",
        qb.BDF,
        lambda: {"rtol": 1e-6, "atol": 1e-8, "max_steps": 1000},
        {"rtol": "real", "atol": "real", "max_steps": "int"},
    ),
    ("RK4", qb.RK4, lambda: {"dt": 0.1}, {"dt": "real"}),
    (
        "steady_state",
        qb.steady_state,
        lambda: {"H": _gksl(), "tol": 1e-9},
        {"H": "model", "tol": "real"},
    ),
    (
        "propagator",
        qb.propagator,
        lambda: {"H": _gksl(), "t": [0.0, 1.0]},
        {"H": "model", "t": "reals"},
    ),
    (
        "propagator(list form)",
        qb.propagator,
        lambda: {"H": [SZ, [SX, lambda t: np.cos(t)]], "t": 1.0, "t0": 0.0},
        {"t0": "real"},
    ),
    (
        "sesolve",
        qb.sesolve,
        lambda: {"H": [SZ, [SX, lambda t: np.cos(t)]], "psi0": KET, "tlist": [0.0, 0.5]},
        {"psi0": "ket", "tlist": "times"},
    ),
    (
        "sesolve(progress)",
        qb.sesolve,
        lambda: {"H": SZ, "psi0": KET, "tlist": [0.0, 0.5], "progress": False},
        {"progress": "bool", "store_states": "bool"},
    ),
    (
        "mesolve(progress)",
        qb.mesolve,
        lambda: {"H": _gksl(), "rho0": RHO, "tlist": [0.0, 0.5], "progress": False},
        {"progress": "bool"},
    ),
    (
        "mcsolve(progress)",
        qb.mcsolve,
        lambda: {"H": _gksl(), "psi0": RHO, "tlist": [0.0, 0.5], "ntraj": 4, "progress": False},
        {"progress": "bool", "psi0": "state", "block_size": "int"},
    ),
    (
        "mcsolve(list form)",
        qb.mcsolve,
        lambda: {
            "H": [SZ, [SX, lambda t: np.cos(t)]],
            "psi0": RHO,
            "tlist": [0.0, 0.5],
            "c_ops": [SM],
            "ntraj": 4,
            "seed": 1,
            "progress": False,
        },
        {
            "psi0": "state",
            "tlist": "times",
            "ntraj": "int",
            "seed": "int",
            "store_states": "bool",
            "progress": "bool",
        },
    ),
    (
        "propagator(progress)",
        qb.propagator,
        lambda: {"H": [SZ, [SX, lambda t: np.cos(t)]], "t": 1.0, "progress": False},
        {"progress": "bool"},
    ),
    (
        "generators.as_coefficient",
        qb.generators.as_coefficient,
        lambda: {"name": "c", "c": np.array([0.0, 1.0]), "tlist": [0.0, 1.0]},
        {"tlist": "times"},
    ),
    (
        "collision.driven_sequence",
        qb.collision.driven_sequence,
        lambda: {"h_of_t": lambda t: SZ, "n": 3, "dt": 0.1},
        {"h_of_t": "callable", "n": "int"},
    ),
    (
        "floquet_modes",
        qb.floquet_modes,
        lambda: {"H": [SZ, [SX, lambda t: np.cos(t)]], "T": 2 * np.pi},
        {"T": "real"},
    ),
    (
        "floquet_davies",
        qb.floquet_davies,
        lambda: {
            "H": [SZ, [SX, lambda t: 0.1 * np.cos(t)]],
            "T": 2 * np.pi,
            "couplings": [(SX, _bath())],
            "n_harmonics": 2,
            "lamb_shift": False,
        },
        {"T": "real", "n_harmonics": "int", "lamb_shift": "bool"},
    ),
    (
        "adiabatic_davies",
        qb.adiabatic_davies,
        lambda: {"H_of_t": lambda t: SZ + 0.1 * t * SX, "couplings": [(SX, _bath())]},
        {"H_of_t": "callable", "lamb_shift": "bool"},
    ),
    (
        "kraus",
        qb.kraus,
        lambda: {"system": _gksl(), "t": 1.0, "tol": 1e-12},
        {"system": "model", "t": "real", "tol": "real"},
    ),
    (
        "liouvillian",
        qb.solve.liouvillian,
        lambda: {"system": _gksl(), "sparse": False},
        {"system": "model", "sparse": "bool"},
    ),
    # collision models
    (
        "structured_example2",
        qb.collision.structured_example2,
        lambda: {
            "omega_s": 1.0,
            "omega_1": 0.5,
            "omega_2": 1.5,
            "kappa": 1.0,
            "alpha": 0.3,
            "beta": 1.0,
            "dt": 0.1,
            "variant": "paper",
        },
        {
            "omega_s": "real",
            "omega_1": "real",
            "omega_2": "real",
            "kappa": "real",
            "beta": "real",
            "dt": "real",
            "variant": "choice",
        },
    ),
    (
        "collision.evolve",
        qb.collision.evolve,
        lambda: {
            "model": _cmodel(),
            "rho0": RHO,
            "n_collisions": 3,
            "method": "exact",
            "store_ancilla": False,
        },
        {
            "model": "model",
            "rho0": "state",
            "n_collisions": "int",
            "method": "choice",
            "store_ancilla": "bool",
        },
    ),
    (
        "collision.steady_state",
        qb.collision.steady_state,
        lambda: {"model": _cmodel(), "method": "exact", "tol": 1e-12},
        {"model": "model", "method": "choice", "tol": "real"},
    ),
    ("collision.kraus", qb.collision.kraus, lambda: {"model": _cmodel()}, {"model": "model"}),
    ("collision.choi", qb.collision.choi, lambda: {"model": _cmodel()}, {"model": "model"}),
    (
        "collision.superoperator",
        qb.collision.superoperator,
        lambda: {"model": _cmodel()},
        {"model": "model"},
    ),
    (
        "collision.coefficients",
        qb.collision.coefficients,
        lambda: {"model": _cmodel()},
        {"model": "model"},
    ),
    (
        "structured_example1",
        qb.collision.structured_example1,
        lambda: {
            "omega_s": 1.0,
            "omega_1": 0.5,
            "omega_2": 1.5,
            "kappa": 1.0,
            "alpha_1": 0.3,
            "alpha_2": 0.2,
            "beta": 1.0,
            "dt": 0.1,
        },
        {"omega_s": "real", "kappa": "real", "alpha_1": "complex", "beta": "real", "dt": "real"},
    ),
    (
        "StructuredAncilla.bosons",
        qb.collision.StructuredAncilla.bosons,
        lambda: {"frequencies": [0.5, 1.0], "kappa": 0.1, "cutoff": 3},
        {"frequencies": "reals", "cutoff": "int"},
    ),
    (
        "StructuredAncilla.qubits",
        qb.collision.StructuredAncilla.qubits,
        lambda: {"frequencies": [0.5, 1.0], "kappa": 0.1},
        {"frequencies": "reals"},
    ),
    (
        "CollisionModel",
        qb.collision.CollisionModel,
        lambda: {"h_s": SZ, "h_e": SZ, "h_se": 0.1 * np.kron(SX, SX), "dt": 0.1, "beta": 1.0},
        {"h_s": "herm", "h_e": "herm", "dt": "real", "beta": "real"},
    ),
    (
        "collision.second_order_ledger",
        qb.collision.second_order_ledger,
        lambda: {"model": _cmodel(), "states": np.stack([RHO, RHO])},
        {"model": "model"},
    ),
    (
        "operator_schmidt",
        qb.collision.operator_schmidt,
        lambda: {"op": np.kron(SX, SZ), "d_a": 2, "d_b": 2},
        {"op": "matrix", "d_a": "int", "d_b": "int"},
    ),
    ("bare_level", qb.collision.bare_level, lambda: {"k": 1}, {"k": "int"}),
    (
        "three_qubits",
        qb.master.three_qubits,
        lambda: {"omega0": 1.0, "coupling_zz": 0.1},
        {"omega0": "real", "coupling_zz": "real"},
    ),
    (
        "steady_state_space",
        qb.solve.steady_state_space,
        lambda: {"system": _gksl(), "tol": 1e-9},
        {"system": "model", "tol": "real"},
    ),
    ("as_lindblad", qb.generators.as_lindblad, lambda: {"system": _gksl()}, {"system": "model"}),
    ("from_kraus", qb.from_kraus, lambda: {"kraus_ops": [SM, np.diag([1.0, 0.0])]}, {}),
    (
        "kraus_from_superop",
        qb.generators.kraus_from_superop,
        lambda: {"superop": np.eye(4), "tol": 1e-12},
        {"superop": "matrix", "tol": "real"},
    ),
    (
        "qubit_relaxation",
        qb.master.qubit_relaxation,
        lambda: {
            "omega": 1.0,
            "gamma": 0.1,
            "beta": 2.0,
            "bloch0": [0.0, 0.0, 1.0],
            "times": [0.0, 1.0],
        },
        {"omega": "real", "gamma": "real", "beta": "real", "bloch0": "reals", "times": "times"},
    ),
    # spins
    (
        "SpinModel",
        qb.spins.SpinModel,
        lambda: {"fields": [[0.0, 0.0, 1.0]], "gamma_minus": 0.1},
        {"fields": "spin_fields", "gamma_minus": "real"},
    ),
    (
        "spins.meanfield",
        qb.spins.meanfield,
        lambda: {"model": _spins(), "bloch0": [[0, 0, 1.0], [0, 0, 1.0]], "times": [0.0, 0.5]},
        {"model": "model", "times": "times"},
    ),
    (
        "spins.exact",
        qb.spins.exact,
        lambda: {"model": _spins(), "bloch0": [[0, 0, 1.0], [0, 0, 1.0]], "times": [0.0, 0.5]},
        {"model": "model", "times": "times"},
    ),
    (
        "spins.cumulant",
        qb.spins.cumulant,
        lambda: {
            "model": _spins(),
            "bloch0": [[0, 0, 1.0], [0, 0, 1.0]],
            "times": [0.0, 0.5],
            "order": 2,
            "store_correlations": True,
            "method": qb.DOP853(rtol=1e-8, atol=1e-10),
        },
        {
            "model": "model",
            "times": "times",
            "order": "int",
            "store_correlations": "bool_or_none",
            "method": "model",
        },
    ),
    # driven qubit
    (
        "dst_ket",
        qb.drive.dst_ket,
        lambda: {"theta": 0.3, "phi": 0.2},
        {"theta": "real_or_array", "phi": "real_or_array"},
    ),
    ("dst_hamiltonian", qb.drive.dst_hamiltonian, lambda: {"coupling": 1.0}, {"coupling": "real"}),
    (
        "dst_work",
        qb.drive.dst_work,
        lambda: {
            "theta_d": 0.3,
            "phi_d": 0.0,
            "theta_t": [0.1, 0.2],
            "phi_t": [0.0, 0.1],
            "dt": 0.1,
        },
        {"dt": "real"},
    ),
    (
        "dst_two_step_work",
        qb.drive.dst_two_step_work,
        lambda: {
            "theta_d": 0.3,
            "phi_d": 0.0,
            "theta_t0": 0.1,
            "phi_t0": 0.0,
            "theta_t1": 0.2,
            "phi_t1": 0.1,
            "dt": 0.1,
        },
        {"theta_d": "real_or_array", "dt": "real"},
    ),
    (
        "dst_mean_field_hamiltonian",
        qb.drive.dst_mean_field_hamiltonian,
        lambda: {"theta_d": 0.3, "phi_d": 0.0, "theta_t": 0.1, "phi_t": 0.0},
        {"theta_d": "real_or_array", "phi_t": "real_or_array"},
    ),
    (
        "dst_dynamics",
        qb.drive.dst_dynamics,
        lambda: {
            "theta_d": 0.3,
            "phi_d": 0.0,
            "theta_t": 0.1,
            "phi_t": 0.0,
            "times": [0.0, 0.5],
            "picture": "exact",
            "coupling": 1.0,
            "method": qb.DOP853(rtol=1e-8, atol=1e-10),
        },
        {"times": "times", "picture": "choice", "coupling": "real", "method": "model"},
    ),
    (
        "spins.oat_model",
        qb.spins.oat_model,
        lambda: {"n": 4, "chi": 1.0},
        {"n": "int", "chi": "real"},
    ),
    (
        "spins.kitagawa_ueda",
        qb.spins.kitagawa_ueda,
        lambda: {"n": 4, "chi": 1.0, "t": [0.0, 0.5]},
        {"n": "int", "chi": "real"},
    ),
    (
        "spins.chain",
        qb.spins.chain,
        lambda: {"n": 4, "sparse": False},
        {"n": "int", "sparse": "bool"},
    ),
    ("spins.ring", qb.spins.ring, lambda: {"n": 4, "sparse": True}, {"n": "int", "sparse": "bool"}),
    (
        "spins.all_to_all",
        qb.spins.all_to_all,
        lambda: {"n": 3, "sparse": False},
        {"n": "int", "sparse": "bool"},
    ),
    (
        "spins.lattice",
        qb.spins.lattice,
        lambda: {"rows": 2, "cols": 3, "periodic": True, "sparse": False},
        {"rows": "int", "cols": "int", "periodic": "bool", "sparse": "bool"},
    ),
    (
        "spins.random_fields",
        qb.spins.random_fields,
        lambda: {"n": 3, "scale": 0.5, "seed": 7, "axes": "xz"},
        {"n": "int", "scale": "real", "seed": "int", "axes": "choice"},
    ),
    # interop, io, sweep
    (
        "interop.to_qutip",
        qb.interop.to_qutip,
        lambda: {"obj": RHO, "superoperator": False},
        {"obj": "ket_or_matrix", "superoperator": "bool"},
    ),
    (
        "sweep.parse_values",
        qb.sweep.parse_values,
        lambda: {"key": "beta", "spec": [0.5, 1.0]},
        {"spec": "grid"},
    ),
    ("sweep.parse_param", qb.sweep.parse_param, lambda: {"text": "beta=0.5,1.0"}, {}),
    (
        "thermo.ledger",
        qb.thermo.ledger,
        lambda: _driven_ledger_call(),
        {"model": "model", "derivative_step": "real"},
    ),
    (
        "steady_state(iterative-sylvester)",
        qb.steady_state,
        lambda: {"H": _gksl(), "method": "iterative-sylvester", "rtol": 1e-12, "maxiter": 50},
        {"rtol": "real", "maxiter": "int", "restart": "int", "check": "bool"},
    ),
    # thermodynamics of master equations
    (
        "thermo.heat_currents",
        qb.thermo.heat_currents,
        lambda: {"model": _gksl(), "rho": RHO},
        {"model": "model", "rho": "state"},
    ),
    (
        "thermo.entropy_production_rate",
        qb.thermo.entropy_production_rate,
        lambda: {"model": _gksl(), "rho": RHO, "per_bath": False},
        {"model": "model", "rho": "state", "per_bath": "bool"},
    ),
    (
        "thermo.first_law_residual",
        qb.thermo.first_law_residual,
        lambda: {"model": _gksl(), "rho": RHO},
        {"model": "model", "rho": "state"},
    ),
    (
        "thermo.energy_rate",
        qb.thermo.energy_rate,
        lambda: {"model": _gksl(), "rho": RHO},
        {"model": "model", "rho": "state"},
    ),
    (
        "thermo.particle_currents",
        qb.thermo.particle_currents,
        lambda: {"model": (SZ, {"lead": [SM]}), "rho": RHO, "number_operator": np.diag([1.0, 0.0])},
        {"model": "model", "rho": "state"},
    ),
    (
        "thermo.rate_function",
        qb.thermo.rate_function,
        lambda: {"model": (SZ, [SM, SM.conj().T]), "counted": {0: 1, 1: -1}, "j": 0.01},
        {"model": "model"},
    ),
    (
        "thermo.gallavotti_cohen",
        qb.thermo.gallavotti_cohen,
        lambda: {"model": (SZ, [0.3 * SM, 0.2 * SM.conj().T]), "counted": {0: 1, 1: -1}},
        {"model": "model"},
    ),
    (
        "thermo.generator_positivity",
        qb.thermo.generator_positivity,
        lambda: {"L": qb.generators.liouvillian(_gksl())},
        {"L": "matrix"},
    ),
    (
        "thermo.as_driven_model",
        qb.thermo.as_driven_model,
        lambda: {"model": [_gksl(), [SX, np.cos]], "derivative_step": 1e-5},
        {"derivative_step": "real"},
    ),
    (
        "thermo.with_ledger",
        qb.thermo.with_ledger,
        lambda: {"result": qb.mesolve(_gksl(), RHO, [0.0, 0.5]), "model": _gksl()},
        {"result": "model", "model": "model"},
    ),
    (
        "ode.check_method",
        qb.ode.check_method,
        lambda: {"method": qb.Dopri5()},
        {"method": "model"},
    ),
    (
        "thermo.as_bath_model",
        qb.thermo.as_bath_model,
        lambda: {"model": _gksl()},
        {"model": "model"},
    ),
    (
        "thermo.audit",
        qb.thermo.audit,
        lambda: {"model": _gksl()},
        {"model": "model"},
    ),
    (
        "thermo.audit(tol)",
        qb.thermo.audit,
        lambda: {"model": _gksl(), "n_states": 4, "seed": 1, "tol": 1e-9},
        {"n_states": "int", "seed": "int", "tol": "real"},
    ),
    (
        "thermo.cumulants",
        qb.thermo.cumulants,
        lambda: {"model": (SZ, [SM, SM.conj().T]), "counted": {0: 1, 1: -1}, "order": 3},
        {"model": "model", "order": "int"},
    ),
    (
        "thermo.scgf",
        qb.thermo.scgf,
        lambda: {"model": (SZ, [SM, SM.conj().T]), "counted": {0: 1, 1: -1}, "s": 0.1},
        {"model": "model"},
    ),
    (
        "thermo.tur",
        qb.thermo.tur,
        lambda: {
            "model": (SZ, [SM, SM.conj().T]),
            "counted": {0: 1, 1: -1},
            "entropy_production": 0.5,
        },
        {"model": "model", "entropy_production": "real"},
    ),
    (
        "thermo.energy_counting",
        qb.thermo.energy_counting,
        lambda: {"gen": _gksl(), "bath": 0},
        {"gen": "model", "bath": "int"},
    ),
    (
        "thermo.power",
        qb.thermo.power,
        lambda: {"dH_dt": SX, "rho": RHO},
        {"dH_dt": "herm", "rho": "state"},
    ),
    (
        "ode.method_from_name",
        qb.ode.method_from_name,
        lambda: {"name": "dopri5", "rtol": 1e-6},
        {"rtol": "real"},
    ),
    (
        "thermo.floquet_heat_currents",
        qb.thermo.floquet_heat_currents,
        lambda: {"gen": _floquet(), "rho": RHO},
        {"gen": "model", "rho": "state"},
    ),
    (
        "thermo.floquet_entropy_production_rate",
        qb.thermo.floquet_entropy_production_rate,
        lambda: {"gen": _floquet(), "rho": RHO, "per_bath": False},
        {"gen": "model", "rho": "state", "per_bath": "bool"},
    ),
    # the ODE layer
    (
        "ode.check_times",
        qb.ode.check_times,
        lambda: {"times": [0.0, 1.0, 2.0]},
        {"times": "times"},
    ),
]


def _driven_ledger_call() -> dict[str, Any]:
    gen = qb.davies(SZ, [(SX, _bath())])
    H = [gen, [SX, np.cos]]
    res = qb.mesolve(H, RHO, [0.0, 0.1, 0.2])
    return {"model": H, "result": res, "derivative_step": 1e-5}


def _cases() -> list[tuple[str, str, str]]:
    out = []
    for label, _, _, kinds in TABLE:
        for arg, kind in kinds.items():
            for cls in BAD[kind]:
                out.append((label, arg, cls))
    return out


CASES = _cases()
_ROWS = {row[0]: row for row in TABLE}

#: (row, argument, class) cases that are legal: the value is meaningful for that argument.
LEGAL = {
    ("Subsystem", "dim", "integral_float"),  # refused too, listed for clarity below
}
LEGAL.clear()


def _names_argument(msg: str, arg: str) -> bool:
    """The message starts with the argument (possibly indexed, e.g. ``couplings[0][0]``)."""
    aliases = {
        "A": ("couplings[0][0]", "A"),
        "bath": ("couplings[0][1]", "bath"),
        "psi0": ("psi0", "rho0"),
        "spectral_density_function": ("spectral_density_function",),
        "obj": ("obj",),
        "spec": ("beta",),  # a sweep axis is named by its configuration key
    }
    names = aliases.get(arg, (arg,))
    return any(re.match(rf"^\s*{re.escape(n)}(\[|:|\s)", msg) for n in names)


@pytest.mark.parametrize(("label", "arg", "cls"), CASES, ids=[f"{a}-{b}-{c}" for a, b, c in CASES])
def test_bad_input_is_refused(label: str, arg: str, cls: str) -> None:
    _, func, valid, kinds = _ROWS[label]
    kwargs = valid()
    kwargs[arg] = BAD[kinds[arg]][cls]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qb.QbathWarning)
        with pytest.raises(qb.InputError) as info:
            func(**kwargs)
    msg = str(info.value)
    assert _names_argument(msg, arg), f"message does not start with the argument {arg!r}: {msg}"
    assert "expected" in msg and "got" in msg, f"message must say what was expected and got: {msg}"


@pytest.mark.parametrize("label", list(_ROWS), ids=list(_ROWS))
def test_valid_call_of_each_row_runs(label: str) -> None:
    _, func, valid, _ = _ROWS[label]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qb.QbathWarning)
        func(**valid())


# --- coverage of the public API -----------------------------------------------------------------
SUBPACKAGES = (
    "qbath",
    "qbath.collision",
    "qbath.master",
    "qbath.solve",
    "qbath.spins",
    "qbath.drive",
    "qbath.generators",
    "qbath.interop",
    "qbath.io",
    "qbath.sweep",
    "qbath.thermo",
    "qbath.ode",
)

#: public callables that take no user data to validate, are classes of results/records built by
#: qbath itself, or are covered by their own fault tests (io, sweep, cli: tests/cli/test_cli_faults.py)
NOT_IN_TABLE = {
    # records and method classes built by qbath (their constructors are validated where used)
    "Audit",
    "DrivenModel",
    "GallavottiCohen",
    "Ledger",
    "ThermoResult",
    "TUR",
    "Verdict",
    "Method",
    "Stats",
    "IntegrationError",
    "StepSizeError",
    # null-space machinery of the steady-state solvers (inputs built by qbath itself)
    "Degenerate",
    "HermitianCoordinates",
    "coordinates_to_matrix",
    "direct_fixed_point",
    "krylov_fixed_point",
    "matrix_to_coordinates",
    "null_spaces",
    "trace_replaced",
    "BatchResult",
    # generator objects and the list-form machinery the solvers build (validated through the
    # solvers' rows: mesolve, sesolve, propagator, floquet_*, adiabatic_davies)
    "AdiabaticDavies",
    "FloquetGKSL",
    "Coefficient",
    "KetRHS",
    "TimeDependentRHS",
    "TimeDependentTerms",
    "check_args",
    "check_sparse_hermitian",
    "flatten_c_ops",
    "is_list_form",
    "split_list_form",
    "BathGenerator",
    "Dissipator",
    "BaseResult",
    "ResultProtocol",
    "QubitResult",
    "check_scheduler_address",
    "make_security",
    "from_qutip",
    "sigmax",
    "sigmay",
    "sigmaz",
    "sigmap",
    "sigmam",
    "InputError",
    "QbathWarning",
    "PositivityWarning",
    "NonUniqueSteadyStateError",
    "GKSL",
    "CompositeSpace",
    "tensor",
    "as_density_matrix",
    "Coefficients",
    "CollisionResult",
    "Bath",
    "SymbolicDavies",
    "symbolic_davies",
    "symbolic_three_qubits",
    "MCResult",
    "Result",
    "choi_matrix",
    "as_sparse_operator",
    "sandwich_superoperator",
    "meanfield_rhs",
    "meanfield_steady_state",
    "total_spin",
    "spin_covariance",
    "squeezing_parameter",
    "SpinResult",
    "Physicality",
    "MeanFieldSteadyState",
    "DSTDynamics",
    "DSTWorkResult",
    "dst_power",
    "BohrClusters",
    "JumpSet",
    "LindbladForm",
    "attrs_from_meta",
    "load",
    "meta_from_attrs",
    "result_parts",
    "save",
    "to_dataset",
    "to_dataset_parts",
    "to_jsonable",
    "write_netcdf",
    "Axis",
    "Grid",
    "SweepPlan",
    "combine_chunks",
    "compute_chunk",
    "plan_sweep",
    "resume_count",
    "run_sweep",
    "sweep_status",
}


def _public_callables() -> set[str]:
    names = set()
    for modname in SUBPACKAGES:
        mod = importlib.import_module(modname)
        for n in getattr(mod, "__all__", None) or [n for n in dir(mod) if not n.startswith("_")]:
            obj = getattr(mod, n, None)
            if obj is None or isinstance(obj, types.ModuleType) or not callable(obj):
                continue
            if not getattr(obj, "__module__", "").startswith("qbath"):
                continue
            names.add(n)
    return names


def test_every_public_callable_is_covered() -> None:
    covered = {part for label in _ROWS for part in label.split("(")[0].split(".")}
    missing = sorted(_public_callables() - covered - NOT_IN_TABLE)
    assert not missing, f"public callables without a row in TABLE (add one): {missing}"


def test_number_of_bad_calls() -> None:
    """The size of the walk, for the record (also printed with ``-s``)."""
    print(f"\nbad-input calls: {len(CASES)} over {len(TABLE)} rows")
    assert len(CASES) > 300
    assert all(inspect.isfunction(r[2]) for r in TABLE)


# --- legal but doubtful input: a qbath warning, not an error --------------------------------------
def _coarse_davies() -> Any:
    a = qb.destroy(10)
    H = a.conj().T @ a + 0.3 * (a + a.conj().T)
    return qb.davies(H, [(a + a.conj().T, _bath())], freq_tol=1e-7)


def _nonthermal_collision() -> Any:
    eta = np.diag([0.5, 0.2, 0.2, 0.1])
    return qb.collision.CollisionModel(
        h_s=SZ,
        h_e=np.kron(SZ, np.eye(2)),
        h_se=0.1 * np.kron(SX, np.kron(SX, np.eye(2))),
        dt=0.1,
        eta=eta,
        beta=1.0,
    )


DOUBTFUL = [
    ("davies merging distinct Bohr frequencies", _coarse_davies, "not the strict secular"),
    ("collision model with beta and a non-thermal eta", _nonthermal_collision, "non-thermal eta"),
    ("load of a netCDF file not written by qbath", None, "not written by qbath.io.save"),
]


@pytest.mark.parametrize(("what", "make", "match"), DOUBTFUL, ids=[d[0] for d in DOUBTFUL])
def test_doubtful_input_warns(what, make, match, tmp_path):
    if make is None:
        xr = pytest.importorskip("xarray")
        pytest.importorskip("netCDF4")
        path = tmp_path / "foreign.nc"
        xr.Dataset({"x": ("t", [1.0])}).to_netcdf(path)

        def make():
            return qb.io.load(path)

    with pytest.warns(qb.QbathWarning, match=match):
        make()
