-- A write through a computed key forgets what was narrowed under the table.
type Box = {v: string?}
local function f(t: {[string]: Box}, k: string): integer
    if t.a.v then
        t[k] = {v = nil}
        return #t.a.v -- expect-warning: E0000 the operand of `#` may be nil
    end
    return 0
end
print(f({}, "a"))
