pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
-- cutscene: a scripted scene run by coroutines
-- each actor and the dialogue box are coroutines that yield once per
-- frame; the director starts and waits for them.
-- input: o/x skip to the end of a line of dialogue.
-- rp8 bench cart (our own code and art).

actors={}
tasks={}
say_text=nil
say_shown=0
skip=false
sky=12

function start(fn)
 local co=cocreate(fn)
 add(tasks,co)
 return co
end

function wait(n)
 for i=1,n do yield() end
end

function walk(a,tx,speed)
 while abs(a.x-tx)>speed do
  a.x+=sgn(tx-a.x)*speed
  a.step+=1
  yield()
 end
 a.x=tx
end

function say(who,text)
 say_who=who
 say_text=text
 say_shown=0
 while say_shown<#text do
  say_shown+=skip and #text or 0.5
  yield()
 end
 wait(30)
 say_text=nil
end

function director()
 local hero=actors[1]
 local pal=actors[2]
 local w1=start(function() walk(hero,44,0.75) end)
 local w2=start(function() walk(pal,84,0.5) end)
 while costatus(w1)!="dead" or costatus(w2)!="dead" do yield() end
 say(hero,"nice evening.")
 say(pal,"the sun is going down.")
 start(function()
  for i=1,40 do sky=i<20 and 12 or (i<30 and 13 or 1) wait(3) end
 end)
 say(hero,"look, the stars!")
 wait(20)
 start(function() walk(pal,140,1) end)
 say(pal,"good night!")
 walk(hero,-20,1)
 say(nil,"the end")
end

function _init()
 actors={
  {x=-10,y=96,s=1,c=8,step=0},
  {x=138,y=96,s=2,c=11,step=0},
 }
 start(director)
end

function _update()
 skip=btn(4) or btn(5)
 for co in all(tasks) do
  if costatus(co)=="dead" then
   del(tasks,co)
  else
   local ok,err=coresume(co)
   assert(ok,err)
  end
 end
end

function _draw()
 cls(sky)
 if sky!=12 then
  for i=0,20 do pset((i*41)%128,(i*29)%70,7) end
 end
 circfill(100,sky==12 and 30 or 60,10,sky==12 and 10 or 9)
 rectfill(0,104,127,127,3)
 for i=0,15 do spr(3,i*8,104) end
 for a in all(actors) do
  spr(a.s,a.x,a.y+(a.step\4%2),1,1,false)
 end
 if say_text then
  rectfill(4,4,123,28,0)
  rect(4,4,123,28,7)
  print(sub(say_text,1,flr(say_shown)),8,10,7)
  if say_who then
   print(say_who==actors[1] and "red:" or "green:",8,20,say_who.c)
  end
 end
end
__gfx__
000000000088880000bbbb003b3bb3b3000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
00000000088888800bbbbbb033b3333b000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000ffff0000ffff0033333333000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000f1f100001f1f00b3333b33000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000ffff0000ffff0033333333000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
000000000888888003333330333b3333000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
000000000022220000dddd0033333333000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000100100001001003b33333b000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
