-- Parameters without annotation may be omitted (they are nil).
local function eq(actual, expected, msg)
    if actual ~= expected then
        error(msg or "not equal")
    end
end
eq(1, 1)
eq(1, 1, "same")
eq(1, 1, "same", "extra") -- expect-error: `eq` expects 0 to 3 arguments, got 4
