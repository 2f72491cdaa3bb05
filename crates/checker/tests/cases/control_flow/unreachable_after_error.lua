-- After `error(…)`, nothing runs; one hint for the whole stretch.
local function f(): integer
    error("boom")
    print("a") -- expect-hint: E0009 unreachable code
    print("b")
    return 1
end
print(f())
