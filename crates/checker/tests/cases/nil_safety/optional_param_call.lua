-- Calling an optional function parameter.
local function run(cb: (() -> ())?)
    cb() -- expect-error: E0021 cannot call `cb`: it may be nil
end
run(nil)
