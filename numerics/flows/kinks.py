"""Kink events: when the frozen activation pattern stops being valid, and what the flow does next.

Between activation switches the pattern eta_jk in {gamma, 1} is frozen and the field
(:mod:`numerics.flows.field`) is smooth; the driver stops at every switch z_jk = <w_j, x_k> = 0,
located as a sign change of the event functions of :func:`event_values` (Illinois root finding to the
time resolution), and restarts in the mode :func:`classify` decides. At a switch the default
``kink="filippov"`` is the small-step limit of gradient descent: if the fields on both sides push
into the surface z_jk = 0 (or the side the neuron would go to does not move it), the neuron
*slides*: eta_jk is chosen in [gamma, 1] so that the motion stays on the surface, which for the
constrained neurons is the projection of the free velocity onto span{x_k : k sliding}^perp, the
minimal-norm subgradient D(w, theta) of boursier2024 Eq. (6). Sliding is left when the field on
one side starts to point away (also located as an event). ``kink="convention"`` instead uses the
fixed value sigma'(0) = ``Model.sigma_prime_zero`` on the surface, the classical ODE of
boursier2022 App. D: when that ODE has no continuation (its Proposition 2) :func:`classify` says
so and the solver stops with ``status = -2``.

Every switch is recorded as a :class:`KinkEvent` (crossing: ``activate`` / ``deactivate``; sliding:
``slide_enter``, ``slide_exit_up`` / ``slide_exit_down``; convention mode: ``stick``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..network import Model
from .field import Field, Mode, parallel_sign
from .state import renormalise

__all__ = ["KinkEvent", "zdot_sides", "event_keys", "event_values", "cross_values", "project_surfaces", "classify", "settle"]


@dataclass
class KinkEvent:
    """An activation switch of neuron j on sample k at time t.

    kind: ``activate`` (crosses to <w_j,x_k> > 0), ``deactivate`` (crosses to < 0), ``slide_enter``
    (stays on <w_j,x_k> = 0, Filippov), ``slide_exit_up`` / ``slide_exit_down``, ``stick``
    (convention mode: stays on the surface with sigma'(0) fixed).
    """

    t: object
    kind: str
    j: int
    k: int


# ----------------------------------------------------------------------------- event functions


def zdot_sides(f: Field, V, c, j, k, on_surface):
    """(dz/dt on the + side, on the - side, with sigma'(0), scale) for pair (j, k), up to the factor e^{r_j} > 0.

    The other surface pairs of neuron j stay constrained. For the convention mode the third
    value is dz/dt with eta_jk = sigma'(0). (One pair: used by :func:`classify`; the event functions
    use the vectorised :func:`event_values`.)
    """
    mode, X = f.mode, f.X
    eta = mode.eta_free[j].copy()
    eta[k] = 0
    if mode.kink == "filippov":
        S = np.nonzero(mode.surface[j])[0]
        P = mode.projectors.without(S, k) if on_surface else mode.proj.get(j)
    else:
        P = None
    b = (eta * c) @ X
    xk = X[k]
    vals = []
    for e in (1, f.model.gamma, f.model.sigma_prime_zero):
        vec = b + (c[k] * e) * xk
        if P is not None:
            vec = P @ vec
        vals.append(-V[j, 0] * np.sum(vec * xk))
    scale = abs(V[j, 0]) * (f.xp.sqrt(np.sum(b * b)) + abs(c[k]) * f.xp.sqrt(np.sum(xk * xk))) \
        * f.xp.sqrt(np.sum(xk * xk))
    return vals[0], vals[1], vals[2], scale


_KINDS_F = ("exit_up", "exit_down", "exit_rep")


class EventKeys:
    """(j, k, kind) of every event function of a mode, in the order of :func:`event_values`, computed on
    demand from the mode's index arrays (no per-pair Python work when a mode is built)."""

    def __init__(self, mode, has_kinks=True):
        self.nc = len(mode.cross_idx[0]) if has_kinks else 0
        self.cj, self.ck = mode.cross_idx
        self.sj, self.sk = mode.surf_j, mode.surf_k
        self.per = _KINDS_F if mode.kink == "filippov" else ("unstick",)
        self.n = self.nc + (len(self.sj) * len(self.per) if has_kinks else 0)

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        i = int(i)
        if i < 0 or i >= self.n:
            raise IndexError(i)
        if i < self.nc:
            return int(self.cj[i]), int(self.ck[i]), "cross"
        p, q = divmod(i - self.nc, len(self.per))
        return int(self.sj[p]), int(self.sk[p]), self.per[q]

    def __iter__(self):
        return (self[i] for i in range(self.n))


def event_keys(f: Field):
    """(j, k, kind) of every event function of the mode, in the order of :func:`event_values` (memoised on the mode)."""
    mode = f.mode
    keys = getattr(mode, "_event_keys", None)
    if keys is None:
        keys = mode._event_keys = EventKeys(mode, f.activation.has_kinks)
    return keys


def event_values(f: Field, Y, tol):
    """Signed event functions, positive while the mode is consistent (an array; vectorised over all pairs).

    Off the surface: side_jk * <v_wj, x_k> (+ the hysteresis band). On the surface (Filippov):
    tol*scale - dz+/dt, dz-/dt + tol*scale (exit upward / downward) and tol*scale - min(dz+/dt, -dz-/dt)
    (the surface turned repelling). Convention mode: tol*scale - |dz/dt|. The (j, k, kind) of each
    entry are :func:`event_keys`.
    """
    xp = f.xp
    if not f.activation.has_kinks:
        return np.zeros(0)
    r, V = f.split(Y)
    mode = f.mode
    Z = V[:, 1:] @ f.X.T
    cross = (mode.side * Z + f.hyst)[mode.cross_idx]
    if not len(mode.surf_j):
        return cross
    c, _, _ = f.residual_coef(r, V)
    B = f.free_b(r, Z, c)
    j, k = mode.surf_j, mode.surf_k
    X = f.X
    b = B[j]
    ck = c[k]
    if mode.kink == "convention":  # eta_free holds sigma'(0) on the surface: take it out of b
        b = b - (f.model.sigma_prime_zero * ck)[:, None] * X[k] if xp.name == "float64" else \
            b - (xp.scalar(f.model.sigma_prime_zero) * ck)[:, None] * X[k]
    bq = np.sum(b * mode.surf_q, axis=1)
    s = mode.surf_s
    va = V[j, 0]
    xn = xp.sqrt(np.sum(X[k] * X[k], axis=1))
    scale = abs(va) * (xp.sqrt(np.sum(b * b, axis=1)) + abs(ck) * xn) * xn
    ts = tol * scale
    if mode.kink == "filippov":
        up = -va * (bq + ck * s)
        down = -va * (bq + ck * f.model.gamma * s) if xp.name == "float64" else \
            -va * (bq + ck * xp.scalar(f.model.gamma) * s)
        # leave when the fields on BOTH sides push the same way (else Filippov keeps z = 0: the
        # small-step limit of gradient descent, whose iterates stay at z <= 0), or when the surface
        # turns repelling (up > 0 > down, e.g. a_j changed sign)
        lo = np.where(up < down, up, down)
        hi = np.where(up < down, down, up)
        rep = np.where(up < -down, up, -down)
        surf = np.stack([ts - lo, hi + ts, ts - rep], axis=1).ravel()
    else:
        conv = -va * (bq + ck * f.model.sigma_prime_zero * s) if xp.name == "float64" else \
            -va * (bq + ck * xp.scalar(f.model.sigma_prime_zero) * s)
        surf = ts - abs(conv)
    return np.concatenate([cross, surf])


def cross_values(f: Field, Y):
    """Only the crossing functions side * z (cheap; for probes inside a step)."""
    if not f.activation.has_kinks:
        return np.zeros(0)
    V = Y[f.m:].reshape(f.m, f.d + 1)
    Z = V[:, 1:] @ f.X.T
    return (f.mode.side * Z + f.hyst)[f.mode.cross_idx]


def project_surfaces(Y, mode: Mode, m, d):
    """Put sliding neurons back exactly on their surfaces (the exact flow keeps them there; this
    removes the O(rtol) drift of the integrator so sliding never chatters across the kink)."""
    if not len(mode.slide_idx):
        return Y
    Y = Y.copy()
    V = Y[m:].reshape(m, d + 1)
    idx = mode.slide_idx
    V[idx, 1:] = np.matmul(mode.P_slide, V[idx, 1:][:, :, None])[:, :, 0]
    return Y


# ----------------------------------------------------------------------------- classification


def _zdots(f, V, c, j, etas, freed):
    """dz_jk/dt (up to e^{r_j} > 0) for every k in ``etas`` when the pairs in ``etas`` use the given
    generalised derivatives, the pairs in ``freed`` leave j's surface set and the other surface
    pairs of j stay constrained (Filippov projection)."""
    mode, X = f.mode, f.X
    eta = mode.eta_free[j].copy()
    for k, e in etas.items():
        eta[k] = e
    b = (eta * c) @ X
    if mode.kink == "filippov":
        S = [l for l in np.nonzero(mode.surface[j])[0] if l not in freed]
        b = mode.projectors(S) @ b
    vel = -V[j, 0] * b
    return {k: np.sum(vel * X[k]) for k in etas}


def _decide_filippov(f, V, c, j, ks, old, kinds, thr, conv_side):
    """New sides of the simultaneously switching pairs ks of neuron j (Filippov).

    Candidate assignments in {+1, -1} (tied for parallel data vectors) are tried; one is
    consistent when every pair moves into its own side (side * dz/dt > thr). The old assignment,
    if consistent, wins (a tangential touch); a unique other consistent one is a crossing; if
    none is consistent the pairs slide (0); if several, the sigma'(0) convention decides.
    """
    X, gamma = f.X, f.model.gamma
    free = set(ks)
    # tie parallel vectors: groups with a representative and a relative orientation
    rep = {}
    for k in ks:
        for r0 in list(rep):
            o = parallel_sign(X, r0, k)
            if o:
                rep[k] = (rep[r0][0], rep[r0][1] * o)
                break
        else:
            rep[k] = (k, 1)
    roots = sorted({r0 for r0, _ in rep.values()})
    consistent = []
    for bits in range(2 ** len(roots)):
        sg = {r0: (1 if (bits >> i) & 1 else -1) for i, r0 in enumerate(roots)}
        cand = {k: sg[rep[k][0]] * rep[k][1] for k in ks}
        zd = _zdots(f, V, c, j, {k: (1 if cand[k] > 0 else gamma) for k in ks}, free)
        if all(cand[k] * zd[k] > thr[k] for k in ks):
            consistent.append(cand)
    olds = {k: old[k] for k in ks}
    if any(c_ == olds for c_ in consistent) and all(v != 0 for v in olds.values()):
        return olds
    others = [c_ for c_ in consistent if c_ != olds]
    if len(others) == 1:
        return others[0]
    if len(others) > 1:  # repelling: every side is consistent; the sigma'(0) convention decides
        pick = [c_ for c_ in others if all(c_[k] == conv_side[k] for k in ks if conv_side[k] != 0)]
        return pick[0] if pick else others[0]
    # nothing consistent: attractive or neutral -> slide, unless an exit was decided on the band
    out = {}
    for k in ks:
        kind = (kinds or {}).get((j, k))
        out[k] = 1 if kind == "exit_up" else (-1 if kind == "exit_down" else 0)
        if kind == "exit_rep":
            out[k] = conv_side[k] or -1
    return out


def classify(model: Model, mode: Mode, Y, pairs, kinds, t, X, y, xp, kink, tol, activation=None):
    """Decide the new side of every switching pair, list the events, project on surfaces.

    Returns (new mode, projected state, events, stop): ``events`` the :class:`KinkEvent` list of the
    switches at time t, ``stop`` None, or (convention mode) the reason the classical ODE has no
    continuation (boursier2022 Prop. 2), after which the solver stops. ``kinds`` maps a pair to the
    event that fired (None at t0: pairs lying exactly on a kink initially). Pairs of one neuron
    switching at the same instant are decided jointly (needed for parallel data vectors, e.g. x and -x).
    """
    m, d = mode.side.shape[0], X.shape[1]
    side = mode.side.copy()
    f = Field(model, mode, X, y, xp, activation)
    r, V = f.split(Y)
    c, _, _ = f.residual_coef(r, V)
    stop = None
    events = []
    by_neuron = {}
    for (j, k) in pairs:
        by_neuron.setdefault(int(j), []).append(int(k))
    for j, ks in by_neuron.items():
        ks = sorted(set(ks))
        sides = {}
        info = {}
        for k in ks:
            on_surface = bool(mode.surface[j, k])
            up, down, conv, scale = zdot_sides(f, V, c, j, k, on_surface=on_surface)
            info[k] = (on_surface, up, down, conv, tol * scale)
        if kink == "filippov":
            conv_side = {k: (1 if info[k][3] > info[k][4] else -1 if info[k][3] < -info[k][4] else 0) for k in ks}
            sides = _decide_filippov(f, V, c, j, ks, {k: int(mode.side[j, k]) for k in ks}, kinds,
                                     {k: info[k][4] for k in ks}, conv_side)
        else:
            for k in ks:
                _, up, down, conv, thr = info[k]
                if abs(conv) <= thr:
                    new = 0
                else:
                    new = 1 if conv > 0 else -1
                    # a classical solution can leave z = 0 only if the field on the side it enters
                    # carries it away (strictly); otherwise it neither stays nor leaves (Prop. 2)
                    if (new > 0 and not up > thr) or (new < 0 and not down < -thr):
                        stop = (f"at t = {float(t):.9g}, neuron {j}, sample {k}: with sigma'(0) = "
                                f"{model.sigma_prime_zero} the pre-activation leaves z = 0 towards side {new:+d}, "
                                f"but the field there points back (dz/dt = {float(up if new > 0 else down):.3e})")
                        new = 0
                sides[k] = new
        for k in ks:
            new, old, on_surface = sides[k], int(mode.side[j, k]), info[k][0]
            side[j, k] = new
            if new == old and kinds is not None:
                continue  # no switch (a touch, or a re-fire on noise): no event, only the projection
            if kinds is None:
                kind = {1: "activate", -1: "deactivate", 0: "slide_enter" if kink == "filippov" else "stick"}[new]
            elif on_surface:
                kind = "slide_exit_up" if new > 0 else "slide_exit_down"
            else:
                kind = {1: "activate", -1: "deactivate", 0: "slide_enter" if kink == "filippov" else "stick"}[new]
            events.append(KinkEvent(t, kind, j, k))
    new_mode = Mode(side, model, X, xp, kink, projectors=mode.projectors, prev=mode, changed=set(by_neuron))
    # project: pairs on a surface get z = 0 exactly; pairs that just switched get z = 0 too (they move away)
    Yp = Y.copy()
    Vp = Yp[m:].reshape(m, d + 1)
    for j, ks in by_neuron.items():
        S = sorted(set([int(l) for l in np.nonzero(new_mode.surface[j])[0]] + ks))
        Vp[j, 1:] = mode.projectors(S) @ Vp[j, 1:]
    Yp = renormalise(Yp, m, d, xp)
    return new_mode, Yp, events, stop


def settle(model: Model, mode: Mode, Y, pairs, kinds, t, X, y, xp, kink, tol, make_field, max_rounds=8):
    """:func:`classify` the switching ``pairs``, then keep classifying, at the same instant, the pairs whose event
    functions are already negative in the new mode (a switch that makes a sliding neuron's exit condition hold
    at once: one restart for the whole cascade, the same in every backend). Returns (mode, Y, events, stop)."""
    mode, Y, events, stop = classify(model, mode, Y, pairs, kinds, t, X, y, xp, kink, tol)
    for _ in range(max_rounds):
        if stop is not None:
            break
        f = make_field(mode)
        g = event_values(f, Y, tol)
        neg = np.nonzero(g < 0)[0]
        if not len(neg):
            break
        keys = event_keys(f)
        sw = sorted({keys[i] for i in neg})
        mode, Y, more, stop = classify(model, mode, Y, [(j, k) for j, k, _ in sw], {(j, k): kd for j, k, kd in sw},
                                       t, X, y, xp, kink, tol)
        events = events + more
    return mode, Y, events, stop
