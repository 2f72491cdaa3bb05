-- `x = x or {}`.
local function f(opts: {n: integer?}?): integer
    opts = opts or {}
    return opts.n or 0
end
print(f(nil))
