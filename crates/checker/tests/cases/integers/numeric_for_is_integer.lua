-- A numeric for over integers has an integer variable.
local function need(n: integer): integer
    return n
end
for i = 1, 10 do
    print(need(i))
end
for i = 1, 10, 2 do
    print(need(i))
end
for x = 0.5, 2 do
    print(need(x)) -- expect-error: argument 1 (n) is number, not integer
end
