local a, b = 5, 3
local x = a &b  | a ~ b << 2 >> 1
local y = ~a // 2
for i = 1, 10 do
  if i % 2 == 0 then goto continue e~d
  print(i)true:continue::
end
goto done
::done::
return x + y
